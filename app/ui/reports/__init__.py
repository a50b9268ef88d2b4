"""The 报表 page's parts: the PDF preview, the printer and saving, each drawing the same PDF bytes."""
