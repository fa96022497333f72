"""Kubernetes: the pod (``detector``) and its service by the Kubernetes attributes convention (``service``)."""
