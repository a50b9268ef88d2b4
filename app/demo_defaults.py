"""The demo office's password, in a module of its own.

Both the command line (``doudi demo``) and the GUI (a first start with ``--demo-if-empty``, the
set-up wizard's demo choice) create demo offices with it; keeping it here lets both import it
without the GUI importing the command line that starts it.
"""

# Printed and shown on screen on purpose: a demo office holds only made-up households.
DEFAULT_DEMO_PASSWORD = "doudi-demo-2021"
