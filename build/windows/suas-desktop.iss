; Inno Setup 6 script: per-user installer of SUAS Desktop (no administrator rights needed).
;
; Build the one-folder app first, from the repository root (build/README.md, "Gerar no Windows"):
;   pyinstaller build\suas_desktop.spec --noconfirm --workpath .pyinstaller-work --distpath dist
; then:
;   iscc build\windows\suas-desktop.iss
; -> dist\suas-desktop-<versão>-instalador.exe
;
; Name and version come from version.iss, which the spec writes next to this file from
; suas_desktop.__version__ on every build (so run PyInstaller before iscc).
; Paths below are relative to this file's folder (Inno Setup's default SourceDir). Saved as UTF-8 with
; BOM: without the BOM, Inno Setup reads the accents as ANSI.

#include "version.iss"

[Setup]
; Never change AppId: Windows recognises upgrades and the uninstaller by it.
AppId={{F2B539D5-1259-4E70-ADDA-76FE4C0D0E81}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
AppComments=Encerramento do exercício e transição de mandato da Assistência Social (SUAS)
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductVersion={#AppVersionNumeric}
VersionInfoDescription=Instalador do {#AppName}
; Per user, no UAC prompt: municipal PCs rarely give the staff administrator rights.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename={#AppSlug}-{#AppVersion}-instalador
SetupIconFile=..\..\resources\icons\suas-desktop.ico
UninstallDisplayIcon={app}\{#AppSlug}.exe
UninstallDisplayName={#AppName} {#AppVersion}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ShowLanguageDialog=no
; Close a running SUAS Desktop before replacing its files (its data is saved on every change).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "brazilianportuguese"; MessagesFile: "compiler:Languages\BrazilianPortuguese.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole runtime folder: files a newer build no longer ships must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\..\dist\{#AppSlug}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppSlug}.exe"; WorkingDir: "{app}"; Comment: "Encerramento do exercício e transição de mandato"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppSlug}.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppSlug}.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes only the program folder. The data (%LOCALAPPDATA%\suas-desktop: database,
; attachments, backups) is never deleted by it: it belongs to the municipality, not to the program.
