"""pytest plugin: fixtures backed by the emulator (filled in with the emulator)."""
