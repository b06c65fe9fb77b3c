"""The Textual user interface: screens, widgets and the app that wires them."""
