import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from lms import roles
from lms.models import Center, CenterStaff, Cohort, LearnerProfile, Shift


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-1234-word")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            group = Group.objects.filter(name=extracted).first()
            if group is None:  # groups come from migrate; sync once if a test removed them
                group = roles.roles_sync()[extracted]
            self.groups.add(group)
        if create:
            self.save()


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Center

    name = factory.Sequence(lambda n: f"Center {n}")
    code = factory.Sequence(lambda n: f"C{n:03d}")
    kind = Center.Kind.SCHOOL_LAB
    district = "Gilgit"
    school_name = factory.LazyAttribute(lambda o: f"School of {o.name}")


class CenterStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CenterStaff

    user = factory.SubFactory(UserFactory)
    center = factory.SubFactory(CenterFactory)
    role = CenterStaff.Role.MANAGER


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    center = factory.SubFactory(CenterFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    shift = Shift.SCHOOL_HOURS
    start_date = datetime.date(2026, 9, 1)


class LearnerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearnerProfile

    user = factory.SubFactory(UserFactory, role=roles.LEARNER)
    learner_type = LearnerProfile.LearnerType.STUDENT
    home_center = factory.SubFactory(CenterFactory)
    full_name = factory.Sequence(lambda n: f"Learner {n}")


def manager_of(center, username=None):
    user = UserFactory(username=username or f"manager-{center.code}", role=roles.CENTER_MANAGER)
    CenterStaff.objects.create(user=user, center=center, role=CenterStaff.Role.MANAGER)
    return user


def trainer_of(center, username=None):
    user = UserFactory(username=username or f"trainer-{center.code}", role=roles.TRAINER)
    CenterStaff.objects.create(user=user, center=center, role=CenterStaff.Role.TRAINER)
    return user
