"""The 数据交换 page's pieces: where a package can be written (drives) and the dialogs it opens."""
