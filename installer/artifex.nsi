; Artifex installer (NSIS 3, Modern UI 2).
;
; Installs the PyInstaller folder for the current user only (no administrator rights) into
; %LOCALAPPDATA%\Programs\Artifex, adds Start-menu and desktop shortcuts, and registers an
; uninstaller under HKCU. Uninstalling keeps the user's settings and videos unless the
; matching boxes are ticked on the uninstaller's components page.
;
; makensis /DBUNDLE_DIR=<dist\Artifex> /DAPP_VERSION=0.1.0 [/DAPP_VERSION_NUMERIC=0.1.0.0]
;          [/DOUTFILE=<setup.exe>] [/DCOMPRESS=off] installer\artifex.nsi
;
; BUNDLE_DIR  the folder PyInstaller built (holds Artifex.exe, artifex-cli.exe, _internal)
; COMPRESS    "off" stores files uncompressed (CI: proves the script compiles in seconds)
; PAYLOAD_ARCHIVE  optional: name of a .zip that lies next to the installer and holds the
;             files left out of BUNDLE_DIR (the CUDA libraries of torch): an NSIS installer
;             cannot hold more than 2 GB, the CUDA torch alone is bigger. It is unpacked
;             into the install folder with Windows' own tar.exe (Windows 10 1803 and later).

Unicode true
ManifestDPIAware true
RequestExecutionLevel user

!ifndef BUNDLE_DIR
  !error "Pass the PyInstaller folder: /DBUNDLE_DIR=path\to\dist\Artifex"
!endif
!ifndef APP_VERSION
  !error "Pass the version: /DAPP_VERSION=0.1.0 (python installer/build_meta.py version)"
!endif
!ifndef APP_VERSION_NUMERIC
  !define APP_VERSION_NUMERIC "0.0.0.0"
!endif
!ifndef COMPRESS
  !define COMPRESS "lzma"
!endif
!ifndef OUTFILE
  !define OUTFILE "Artifex-${APP_VERSION}-setup.exe"
!endif

!define APP_NAME "Artifex"
!define APP_EXE "Artifex.exe"
!define CLI_EXE "artifex-cli.exe"
!define PUBLISHER "Artifex team"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_NAME}"
!define APP_KEY "Software\${APP_NAME}"
; makensis changes into this file's folder, so the repository root is "..".
; BUNDLE_DIR and OUTFILE should be absolute paths.
!define ROOT_DIR ".."

!if "${COMPRESS}" == "off"
  SetCompress off
!else
  SetCompressor /SOLID lzma
  SetCompressorDictSize 64
!endif

Name "${APP_NAME} ${APP_VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "${APP_KEY}" "InstallDir"
BrandingText "${APP_NAME} ${APP_VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${APP_VERSION_NUMERIC}"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "ProductVersion" "${APP_VERSION}"
VIAddVersionKey "FileVersion" "${APP_VERSION}"
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "LegalCopyright" "(c) ${PUBLISHER}. Apache-2.0."

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"

!define MUI_ABORTWARNING
!define MUI_UNABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!if /FileExists "${ROOT_DIR}/resources/icons/artifex.ico"
  !define MUI_ICON "${ROOT_DIR}/resources/icons/artifex.ico"
  !define MUI_UNICON "${ROOT_DIR}/resources/icons/artifex.ico"
!endif

!define MUI_WELCOMEPAGE_TEXT "This installs ${APP_NAME} ${APP_VERSION} for you only; no administrator rights are needed.$\r$\n$\r$\nThe Wan2.2 TI2V-5B model (about 32 GB) is downloaded separately; the app asks for its folder.$\r$\n$\r$\nClick Next to continue."
!insertmacro MUI_PAGE_WELCOME
!if /FileExists "${ROOT_DIR}/LICENSE"
  !insertmacro MUI_PAGE_LICENSE "${ROOT_DIR}/LICENSE"
!endif
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP_NAME}"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

; ------------------------------------------------------------------------------ install

Function .onInit
  SetShellVarContext current
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME} needs 64-bit Windows." /SD IDOK
    Abort
  ${EndIf}
!ifdef PAYLOAD_ARCHIVE
  ; Check everything the unpacking needs before anything is copied.
  ${IfNot} ${FileExists} "$EXEDIR\${PAYLOAD_ARCHIVE}"
    MessageBox MB_OK|MB_ICONSTOP "${PAYLOAD_ARCHIVE} must be in the same folder as this installer ($EXEDIR). Download both files, then start the installer again." /SD IDOK
    Abort
  ${EndIf}
  ${DisableX64FSRedirection}
  ${IfNot} ${FileExists} "$SYSDIR\tar.exe"
    ${EnableX64FSRedirection}
    MessageBox MB_OK|MB_ICONSTOP "Windows' tar.exe was not found: ${APP_NAME} needs Windows 10 version 1803 or later." /SD IDOK
    Abort
  ${EndIf}
  ${EnableX64FSRedirection}
!endif
FunctionEnd

Section "${APP_NAME} (required)" SecApp
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; An update must not mix old and new libraries: clear the previous program files first.
  ; (Only what this installer put there; the user's data lives elsewhere.)
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"

  File "${BUNDLE_DIR}\*"
  File /r "${BUNDLE_DIR}\_internal"

!ifdef PAYLOAD_ARCHIVE
  DetailPrint "Unpacking ${PAYLOAD_ARCHIVE} (the GPU libraries, a few GB; this takes a while)"
  ${DisableX64FSRedirection}  ; $SYSDIR is the real System32, with the 64-bit tar.exe
  nsExec::ExecToLog '"$SYSDIR\tar.exe" -x -f "$EXEDIR\${PAYLOAD_ARCHIVE}" -C "$INSTDIR"'
  Pop $0
  ${EnableX64FSRedirection}
  ${If} $0 != "0"
    MessageBox MB_OK|MB_ICONSTOP "Unpacking ${PAYLOAD_ARCHIVE} failed ($0). Is there enough free disk space?" /SD IDOK
    Abort
  ${EndIf}
!endif

  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  WriteRegStr HKCU "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${APP_KEY}" "Version" "${APP_VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${APP_VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Desktop shortcut" SecDesktop
  SetShellVarContext current
  CreateShortCut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
SectionEnd

; ---------------------------------------------------------------------------- uninstall

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "un.${APP_NAME}" UnSecApp
  SectionIn RO
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"

  ; Remove only what the installer put there, so that a folder chosen by mistake (say,
  ; Documents) never loses anything else.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${APP_KEY}"
SectionEnd

; Not ticked by default: the user's files stay unless asked.
Section /o "un.Settings, logs and caches" UnSecSettings
  SetShellVarContext current
  ; QStandardPaths AppDataLocation with organisation and application "Artifex":
  ; %APPDATA%\Artifex\Artifex; local caches under %LOCALAPPDATA%\Artifex.
  RMDir /r "$APPDATA\${APP_NAME}"
  RMDir /r "$LOCALAPPDATA\${APP_NAME}"
SectionEnd

Section /o "un.Generated videos (Videos\Artifex)" UnSecVideos
  SetShellVarContext current
  RMDir /r "$VIDEOS\${APP_NAME}"
SectionEnd
