"""Pure domain: what the data is and which states are legal. No I/O, no Qt, no SQL."""
