"""Routers, one per resource. Route functions parse, call the service and return; nothing else."""
