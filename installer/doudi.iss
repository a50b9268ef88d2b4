; Inno Setup 6 script: the Windows installer of the one-folder build (installer/doudi.spec).
; Built on a Windows machine by installer/build_windows.ps1:
;   ISCC.exe /DAppVersion=0.1.0 /DDistDir=..\dist\doudi /DIconFile=..\build\pyinstaller\doudi\doudi.ico installer\doudi.iss
; Per-machine: the program goes to Program Files for every user of the PC; each user's offices, logs
; and backups stay in that user's %LOCALAPPDATA%\doudi (platformdirs), which nothing here removes.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef DistDir
  #define DistDir "..\dist\doudi"
#endif
#ifndef IconFile
  #define IconFile "..\build\pyinstaller\doudi\doudi.ico"
#endif

[Setup]
; The same AppId for every version: a newer installer upgrades the installed program in place.
AppId={{6F1D2C3B-7A4E-4B59-9C1E-D0D1D0D1D0D1}
AppName=兜底 Doudi
AppVersion={#AppVersion}
AppVerName=兜底 Doudi {#AppVersion}
AppPublisher=兜底 Doudi
DefaultDirName={autopf}\Doudi
DefaultGroupName=兜底
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist
OutputBaseFilename=doudi-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\doudi-gui.exe
UninstallDisplayName=兜底 Doudi
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; A running 兜底 keeps its files open: the wizard asks to close it before replacing them.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面上创建“兜底”快捷方式"; GroupDescription: "快捷方式："

[InstallDelete]
; The previous version's bundled files, so that a module removed in this version cannot linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\兜底"; Filename: "{app}\doudi-gui.exe"; WorkingDir: "{app}"; Comment: "乡镇民政救助台账"
Name: "{group}\卸载兜底"; Filename: "{uninstallexe}"
Name: "{autodesktop}\兜底"; Filename: "{app}\doudi-gui.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\doudi-gui.exe"; Description: "立即打开兜底"; Flags: nowait postinstall skipifsilent unchecked

; No [UninstallDelete]: the uninstaller removes only what [Files] installed. Offices, backups and logs
; live under each user's %LOCALAPPDATA%\doudi and are never deleted with the program.

[Messages]
; Shown on the last page: where each user's data, backups and logs are (a clerk reads this once).
FinishedLabel=兜底已安装在本机。%n%n每位用户的单位数据库在 C:\Users\（用户名）\AppData\Local\doudi 文件夹；自动备份默认在其中的 backups 子文件夹（可在“设置”里改到U盘或另一块硬盘），日志在其中的 Logs 子文件夹。%n%n卸载或升级兜底都不会删除这些数据。换电脑时请用“立即备份”和“从备份恢复”。
