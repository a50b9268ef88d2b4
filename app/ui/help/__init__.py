"""The 帮助 menu's windows: the user guide, 关于, the support bundle, and the dialog a crash shows."""
