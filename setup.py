"""Build steps beyond setup.cfg, so that an installed app (``pip install .``, a wheel) is whole:

- the top-level ``templates/`` and ``static/`` folders of the checkout go into the package;
- the message catalogues are compiled (``.po`` → ``.mo``) into it, also for ``pip install -e .`` (in place,
  beside the ``.po``: an editable install reads the checkout).
"""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED_FOLDERS = ("templates", "static")


def compile_catalogues(source: Path, target: Path) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as fh:
            catalogue = read_po(fh)
        with mo.open("wb") as fh:
            write_mo(fh, catalogue, use_fuzzy=False)


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        package = ROOT / "mediation" if getattr(self, "editable_mode", False) else Path(self.build_lib) / "mediation"
        if not getattr(self, "editable_mode", False):
            for name in SHIPPED_FOLDERS:
                shutil.copytree(ROOT / name, package / name, dirs_exist_ok=True)
        compile_catalogues(ROOT / "mediation" / "translations", package / "translations")


setup(cmdclass={"build_py": BuildWithResources})
