"""Round-the-clock monitoring: home-page probes, the rubric's availability window, alert state,
pre-veto warnings, delivery, and slot scheduling. Nothing here touches the store; the daemon wires
these pure pieces to it."""
