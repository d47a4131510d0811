"""Sales and purchase orders, invoices, bills, payments: the integration room."""
