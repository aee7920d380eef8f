"""What every other package stands on: settings, the clock, the lake and its key layout,
operational state, third-party HTTP, and the row shapes the warehouse loads."""
