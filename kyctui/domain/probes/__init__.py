"""Probes of the machine: connection to the verification host, camera, microphone, browsers."""
