"""SUAS Desktop: year-end closing and mandate transition for municipal social assistance."""

#: Single source of truth for the version (pyproject reads it; the PyInstaller spec too).
__version__ = "0.1.0"
APP_NAME = "SUAS Desktop"
#: Folder and QSettings organisation name.
ORG_NAME = "SUAS Desktop"
#: Name used for the per-user data folder and the executable.
APP_SLUG = "suas-desktop"
