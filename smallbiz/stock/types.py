"""Plain names the stock package shares (no ORM: services import them at run time)."""

#: Where a stock move comes from (the stock package knows nothing of the documents).
MOVE_SOURCES = ("receipt", "shipment", "adjustment", "opening", "reversal", "return")
