# Builds the Windows installer on a Windows 10/11 x64 machine (it cannot be built on Linux):
#   1. the one-folder program with PyInstaller (installer/doudi.spec: doudi.exe for commands,
#      doudi-gui.exe for the shortcuts), 2. a smoke run of it, 3. dist\doudi-<version>-setup.exe
#      with Inno Setup 6 (installer/doudi.iss).
# Needs: Python 3.11 x64 on PATH (py launcher), Inno Setup 6 (ISCC.exe), run from any folder:
#   powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

$Venv = Join-Path $Root ".venv-win"
$Py = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $Py)) {
    py -3.11 -m venv $Venv
    if ($LASTEXITCODE -ne 0) { throw "Python 3.11 (x64) is needed: install it from python.org with the py launcher" }
}
& $Py -m pip install -q --upgrade pip
& $Py -m pip install -q -e ".[dist]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

& $Py -m app.tools.translations build
if ($LASTEXITCODE -ne 0) { throw "building the translations failed" }
& $Py -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller installer\doudi.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# The console program answers before anything is packed (data and keys in a temporary folder).
$Tmp = Join-Path ([System.IO.Path]::GetTempPath()) ("doudi-smoke-" + [guid]::NewGuid())
New-Item -ItemType Directory $Tmp | Out-Null
$env:DOUDI_KEYRING = "file"
$env:DOUDI_CONFIG_DIR = Join-Path $Tmp "config"
& dist\doudi\doudi.exe --version
if ($LASTEXITCODE -ne 0) { throw "dist\doudi\doudi.exe --version failed" }
& dist\doudi\doudi.exe --data-dir (Join-Path $Tmp "office") demo --no-gui --households 20
if ($LASTEXITCODE -ne 0) { throw "dist\doudi\doudi.exe demo --no-gui failed" }
Remove-Item -Recurse -Force $Tmp
Remove-Item Env:DOUDI_KEYRING, Env:DOUDI_CONFIG_DIR

$Version = (& $Py -c "import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])").Trim()
$Iscc = @(
    (Get-Command ISCC.exe -ErrorAction SilentlyContinue).Source,
    "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
    "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
) | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
if (-not $Iscc) { throw "Inno Setup 6 is needed (ISCC.exe): https://jrsoftware.org/isdl.php" }
& $Iscc "/DAppVersion=$Version" "/DDistDir=$Root\dist\doudi" "/DIconFile=$Root\build\pyinstaller\doudi\doudi.ico" installer\doudi.iss
if ($LASTEXITCODE -ne 0) { throw "ISCC failed" }
Write-Host "built dist\doudi-$Version-setup.exe"
