"""Service-improvement actions (indicator m): what each department did to improve its online services."""
