"""The county hub (issue 13, docs/hub.md): a mailbox for package files over HTTP, and its client.

The hub never decrypts a package and never opens a register; it checks the signed manifest against
the offices the county exported for it, and stores the bytes as they came.
"""
