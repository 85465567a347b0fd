"""Replace Wagtail's placeholder welcome page with Hunar's home page and point the site at it."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("content.HomePage")

    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    if HomePage.objects.exists():
        return
    homepage_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="content")
    locale, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.objects.get(depth=1)
    homepage = HomePage.objects.create(
        title="Hunar",
        draft_title="Hunar",
        slug="home",
        content_type=homepage_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        intro="<p>Digital skills for every school IT lab and technology hub.</p>",
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page_id": homepage.id,
                  "site_name": "Hunar"},
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("content.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    run_before = []

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
