"""Round-the-clock monitoring: home-page probes, the rubric's availability window, alert state,
pre-veto warnings, delivery, and slot scheduling are pure and never touch the store;
`monitor.daemon` wires them to the store (store/monitor.py) and the service core."""
