"""The organiser console: workshops and waves, roster, invitations and cards, the live monitor,
participants."""
