"""Products, stock moves, moving-average cost, valuation."""
