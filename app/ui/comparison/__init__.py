"""The 比对 screens: the mapping of a department's columns, the results table, the dispositions,
and the 导入台账 wizard that reads a township's own ledger with the same mapping step."""
