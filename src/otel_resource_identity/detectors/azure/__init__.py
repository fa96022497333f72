"""Microsoft Azure: VMs, App Service, Functions, Container Apps and AKS."""
