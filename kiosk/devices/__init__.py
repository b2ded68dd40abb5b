"""The app's side of the devices (drivers live in peripherals/): what screens ask of them, the
card poll and self-test endpoints, and the simulated devices of the demo."""
