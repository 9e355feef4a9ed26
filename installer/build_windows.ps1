<#
.SYNOPSIS
  Builds the Artifex Windows installer from a clean checkout.

.DESCRIPTION
  The same steps and versions as the Wine build that is run before every packaging change
  (.ci/windows_check.sh, docs/BUILDING.md); the one difference is named: the CUDA torch.
  1. creates a virtual environment (build\venv-windows) with the given Python (3.13, as the
     Wine build's embeddable CPython 3.13)
  2. installs the CUDA build of PyTorch from the PyTorch index, at the version pinned in
     installer\requirements-windows.txt (the Wine build takes PyPI's CPU torch of that
     version), then the rest of installer\requirements-windows.txt (the pins the Wine build
     installs, PyInstaller among them)
  3. builds the one-folder app with PyInstaller (installer\artifex.spec) -> dist\Artifex
  4. runs the frozen artifex-cli.exe as the Wine check does: `generate` on the built-in demo
     model into a folder with a Korean name and a space (frames counted with the bundled
     ffmpeg.exe, the JSON report beside it), then `doctor`
  5. builds the installer with NSIS (installer\artifex.nsi) -> dist\Artifex-<version>-setup.exe
     (+ dist\Artifex-<version>-torch-lib.zip when the folder is too big for one NSIS file)
  Every step stops the script on the first error.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
  powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1 -Python "py -3.13" -Clean
#>
[CmdletBinding()]
param(
    # The Python that creates the virtual environment ("py -3.13" works with the launcher).
    [string]$Python = "python",
    # cu128: CUDA 12.8 kernels run on RTX 20xx through RTX 50xx (Blackwell needs >= 12.8).
    [string]$TorchIndex = "https://download.pytorch.org/whl/cu128",
    # Delete the virtual environment and previous build outputs first.
    [switch]$Clean,
    # Build dist\Artifex only, no installer.
    [switch]$SkipInstaller,
    # An NSIS installer holds at most 2 GB. A bigger folder (any CUDA build) ships as the
    # installer plus Artifex-<version>-torch-lib.zip (torch\lib: the CUDA libraries), which
    # the installer unpacks from its own folder.
    [double]$MaxEmbeddedGB = 1.9
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$ProgressPreference = "SilentlyContinue"

$Root = Resolve-Path (Join-Path $PSScriptRoot "..")
Set-Location $Root
$Venv = Join-Path $Root "build\venv-windows"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
$Dist = Join-Path $Root "dist"
$Bundle = Join-Path $Dist "Artifex"
$Started = Get-Date
$Requirements = Join-Path $Root "installer\requirements-windows.txt"
# One pin for both builds: the torch line of installer\requirements-windows.txt.
$TorchPin = Select-String -Path $Requirements -Pattern '^torch==(\S+)' | Select-Object -First 1
if (-not $TorchPin) { throw "installer\requirements-windows.txt has no torch==VERSION line" }
$TorchVersion = $TorchPin.Matches[0].Groups[1].Value

function Step([string]$Message) {
    $elapsed = [int]((Get-Date) - $Started).TotalSeconds
    Write-Host ""
    Write-Host "==> [$elapsed s] $Message" -ForegroundColor Cyan
}

# Runs a native program; a non-zero exit status stops the build.
function Invoke-Native([string]$Exe, [string[]]$Arguments) {
    Write-Host "    $Exe $($Arguments -join ' ')"
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$Exe $($Arguments -join ' ')' failed with exit status $LASTEXITCODE"
    }
}

if ($Clean) {
    Step "Removing build\venv-windows, build\pyinstaller and dist"
    foreach ($path in @($Venv, (Join-Path $Root "build\pyinstaller"), $Dist)) {
        if (Test-Path $path) { Remove-Item -Recurse -Force $path }
    }
}

Step "Virtual environment: $Venv"
if (-not (Test-Path $VenvPython)) {
    $pythonParts = @($Python -split " " | Where-Object { $_ })
    $pythonArgs = @($pythonParts | Select-Object -Skip 1) + @("-m", "venv", $Venv)
    Invoke-Native $pythonParts[0] $pythonArgs
}
Invoke-Native $VenvPython @("-c", "import struct, sys; assert sys.version_info[:2] == (3, 13) and struct.calcsize('P') == 8, 'need 64-bit Python 3.13 (what the Wine build runs), got ' + sys.version; print(sys.version)")
Invoke-Native $VenvPython @("-m", "pip", "install", "--upgrade", "pip")

Step "PyTorch $TorchVersion (CUDA) from $TorchIndex: the one difference from the Wine build"
Invoke-Native $VenvPython @("-m", "pip", "install", "torch==$TorchVersion", "--index-url", $TorchIndex)

Step "The pinned packages and PyInstaller: installer\requirements-windows.txt"
# torch==X is already satisfied by X+cu128, so pip keeps the CUDA build. Artifex itself is not
# installed: the spec takes engine\ and artifex_gui\ from this checkout, as the Wine build does.
Invoke-Native $VenvPython @("-m", "pip", "install", "-r", $Requirements)
Invoke-Native $VenvPython @("-c", "import torch; assert torch.version.cuda, 'torch ' + torch.__version__ + ' is a CPU build'; print('torch', torch.__version__, 'CUDA', torch.version.cuda)")

$Version = (& $VenvPython installer\build_meta.py version).Trim()
if ($LASTEXITCODE -ne 0) { throw "could not read the version from pyproject.toml" }
$VersionNumeric = (& $VenvPython installer\build_meta.py version-numeric).Trim()
if ($LASTEXITCODE -ne 0) { throw "could not read the version from pyproject.toml" }

Step "PyInstaller: installer\artifex.spec -> $Bundle (version $Version)"
Invoke-Native $VenvPython @("-m", "PyInstaller", "--noconfirm", "--clean",
    "--distpath", $Dist, "--workpath", (Join-Path $Root "build\pyinstaller"), "installer\artifex.spec")
foreach ($exe in @("Artifex.exe", "artifex-cli.exe")) {
    if (-not (Test-Path (Join-Path $Bundle $exe))) { throw "PyInstaller did not produce $exe" }
}
$bundleBytes = (Get-ChildItem -Recurse -File $Bundle | Measure-Object -Property Length -Sum).Sum
Write-Host ("    bundle: {0:N1} GB" -f ($bundleBytes / 1GB))

$Cli = Join-Path $Bundle "artifex-cli.exe"
Step "Frozen artifex-cli.exe generate: demo model, 9 frames, into a Korean folder name with a space"
# "새 폴더" and "데모" by code point: Windows PowerShell 5.1 reads a BOM-less script as ANSI.
$CheckDir = Join-Path $Root ("build\check\" + [string][char]0xC0C8 + " " + [char]0xD3F4 + [char]0xB354)
if (Test-Path $CheckDir) { Remove-Item -Recurse -Force $CheckDir }
New-Item -ItemType Directory -Force $CheckDir | Out-Null
$Video = Join-Path $CheckDir ([string][char]0xB370 + [char]0xBAA8 + " clip.mp4")
Invoke-Native $Cli @("generate", "--prompt", "A red fox running through fresh snow, cinematic",
    "--frame_num", "9", "--base_seed", "7", "--device", "cpu", "--save_file", $Video)
if (-not (Test-Path $Video)) { throw "the frozen artifex-cli.exe wrote no $Video" }
if (-not (Test-Path ([IO.Path]::ChangeExtension($Video, ".json")))) { throw "no JSON report beside $Video" }
$Ffmpeg = Get-ChildItem (Join-Path $Bundle "_internal\imageio_ffmpeg\binaries\ffmpeg*.exe") | Select-Object -First 1
# ffmpeg reports on stderr; Windows PowerShell 5.1 would turn that into a stopping error.
$ErrorActionPreference = "Continue"
$probe = & $Ffmpeg.FullName -nostdin -hide_banner -i $Video -map 0:v:0 -c copy -f null - 2>&1 | Out-String
$ErrorActionPreference = "Stop"
$frames = [regex]::Matches($probe, 'frame=\s*(\d+)') | Select-Object -Last 1
if (-not $frames -or $frames.Groups[1].Value -ne "9") { throw "expected 9 frames in $Video, ffmpeg says: $probe" }
Write-Host "    $Video : 9 frames, $((Get-Item $Video).Length) bytes"

Step "Frozen artifex-cli.exe doctor"
Invoke-Native $Cli @("doctor")

if ($SkipInstaller) {
    Step "Done (no installer): $Bundle"
    exit 0
}

Step "NSIS installer"
$makensis = Get-Command makensis -ErrorAction SilentlyContinue
if ($makensis) {
    $makensis = $makensis.Source
} else {
    $makensis = @("${env:ProgramFiles(x86)}\NSIS\makensis.exe", "$env:ProgramFiles\NSIS\makensis.exe") |
        Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $makensis) { throw "makensis not found: install NSIS 3 (choco install nsis) or add it to PATH" }
$Installer = Join-Path $Dist "Artifex-$Version-setup.exe"
$nsisArgs = @("/V3", "/DBUNDLE_DIR=$Bundle", "/DAPP_VERSION=$Version",
    "/DAPP_VERSION_NUMERIC=$VersionNumeric", "/DOUTFILE=$Installer")

$TorchLib = Join-Path $Bundle "_internal\torch\lib"
$Staging = Join-Path $Root "build\payload"
$Payload = $null
try {
    if ($bundleBytes -gt $MaxEmbeddedGB * 1GB) {
        # Move torch\lib out of the folder while makensis runs, zip it with its path inside
        # the install folder (_internal\torch\lib); it goes back in `finally`.
        $Payload = Join-Path $Dist "Artifex-$Version-torch-lib.zip"
        Write-Host "    the folder is over $MaxEmbeddedGB GB: torch\lib goes into $Payload"
        if (Test-Path $Staging) { Remove-Item -Recurse -Force $Staging }
        if (Test-Path $Payload) { Remove-Item -Force $Payload }
        New-Item -ItemType Directory -Force (Join-Path $Staging "_internal\torch") | Out-Null
        Move-Item $TorchLib (Join-Path $Staging "_internal\torch\lib")
        # Windows' own bsdtar (not Git's GNU tar, which may come first on PATH) writes the zip.
        Invoke-Native "$env:SystemRoot\System32\tar.exe" @("-a", "-c", "-f", $Payload, "-C", $Staging, "_internal")
        $nsisArgs += "/DPAYLOAD_ARCHIVE=$(Split-Path -Leaf $Payload)"
    }
    Invoke-Native $makensis ($nsisArgs + @("installer\artifex.nsi"))
} finally {
    if (Test-Path (Join-Path $Staging "_internal\torch\lib")) {
        Move-Item (Join-Path $Staging "_internal\torch\lib") $TorchLib
    }
}
if (-not (Test-Path $Installer)) { throw "makensis did not produce $Installer" }
$installerBytes = (Get-Item $Installer).Length
if ($Payload) {
    Step ("Done: {0} ({1:N2} GB) + {2} ({3:N2} GB): ship both, side by side" -f $Installer,
        ($installerBytes / 1GB), $Payload, ((Get-Item $Payload).Length / 1GB))
} else {
    Step ("Done: {0} ({1:N2} GB)" -f $Installer, ($installerBytes / 1GB))
}
