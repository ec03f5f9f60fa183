"""Testing helpers: the Spreedly site emulator and its pytest plugin."""
