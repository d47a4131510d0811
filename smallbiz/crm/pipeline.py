"""The pipeline's rules as SQL fragments, used by the CRM's services (deals,
interactions, checks): which deal stages are open, how a deal is weighted, which
follow-ups are due."""

from __future__ import annotations

STAGES = ("lead", "qualified", "proposal", "negotiation", "won", "lost")
OPEN_STAGES = STAGES[:4]
#: `stage IN OPEN_SQL`: the deal is still in the pipeline.
OPEN_SQL = "(" + ", ".join(f"'{st}'" for st in OPEN_STAGES) + ")"
#: A deal's weighted value in minor units: value × probability (a percent in hundredths),
#: rounded half-up per deal.
WEIGHTED_MINOR = "(value * probability + 5000) / 10000"
#: Open follow-ups due on or before `:until` (interaction alias `i`).
DUE_FOLLOW_UPS = "i.done = FALSE AND i.follow_up IS NOT NULL AND i.follow_up <= :until"
