"""The demo app is installed by the development and test settings only: a production process
neither lists it nor imports any of its modules, and so has no ``seed_demo`` command."""

import json
import subprocess
import sys
import textwrap

from django.conf import settings

from tests.lms.test_settings import PRODUCTION_ENV, ROOT, _clean_env

PROBE = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.conf import settings
    from django.core.management import get_commands
    print(json.dumps({
        "installed": [app for app in settings.INSTALLED_APPS if app.split(".")[0] == "demo"],
        "imported": sorted(m for m in sys.modules if m == "demo" or m.startswith("demo.")),
        "seed_demo": "seed_demo" in get_commands(),
    }))
    """
)


def _probe(settings_module: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env=_clean_env(**{**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": settings_module}),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_never_install_or_import_demo():
    assert _probe("lms.settings.production") == {
        "installed": [],
        "imported": [],
        "seed_demo": False,
    }


def test_development_settings_install_demo_and_its_command():
    probe = _probe("lms.settings.dev")
    assert probe["installed"] == ["demo"] and probe["seed_demo"]
    assert "demo.apps" in probe["imported"]


def test_test_settings_install_demo():
    assert "demo" in settings.INSTALLED_APPS
