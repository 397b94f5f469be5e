"""`pip install .` gives a whole app: the wheel carries the templates, the static files, the migrations and
the compiled Chinese catalogue, and an app run from it (far from the checkout) serves the Chinese sign-in
page.

The wheel is built without network access (no build isolation: the test dependencies bring ``wheel``) and
installed without its dependencies into a fresh virtual environment that borrows the project's own for
them, so the only copy of ``mediation`` it can import is the installed one.
"""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SERVE_SIGN_IN_PAGE = textwrap.dedent("""
    import os, pathlib, sys
    import mediation
    from flask_migrate import upgrade
    from mediation import create_app
    from mediation.auth import services
    from mediation.auth.models import Role
    from mediation.core.database import unit_of_work

    assert "site-packages" in mediation.__file__, mediation.__file__
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1],
                      "PASSWORD_HASH_PARAMS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1}})
    with app.app_context():
        upgrade()
        with unit_of_work(writes=True):
            services.create_user("admin", "a long passphrase", Role.ADMIN, actor=None)
    response = app.test_client().get("/login")
    print(response.status_code)
    print(response.get_data(as_text=True))
""")


@pytest.mark.slow
def test_the_installed_package_serves_the_chinese_sign_in_page(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "--wheel-dir", str(wheels), str(ROOT)],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PIP_NO_INDEX": "1"})
    assert build.returncode == 0, build.stderr
    [wheel] = wheels.glob("mediation-*.whl")
    contents = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("mediation/templates/auth/login.html", "mediation/templates/errors.html",
                   "mediation/static/css/app.css", "mediation/migrations/versions/0001_initial_schema.py",
                   "mediation/translations/zh_Hans_CN/LC_MESSAGES/messages.mo"):
        assert needed in contents, needed

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.check_output(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    # The dependencies come from the project's environment (a path, not a site: its editable finder for
    # the checkout is never loaded); the wheel goes in first, so it is the mediation that is imported.
    (site / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", "--target", str(site),
         str(wheel)], capture_output=True, text=True, cwd=tmp_path)
    assert install.returncode == 0, install.stderr

    served = subprocess.run(
        [python, "-c", SERVE_SIGN_IN_PAGE, str(tmp_path / "installed.sqlite3")], capture_output=True,
        text=True, cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", ""), "MEDIATION_INSTANCE_PATH": str(tmp_path / "instance")})
    assert served.returncode == 0, served.stderr
    status, page = served.stdout.split("\n", 1)
    assert status == "200"
    assert 'lang="zh-CN"' in page
    assert "登录" in page and "用户名" in page and "密码" in page  # the catalogue really loaded
