"""drnet: disaster-recovery network plans for Azure Site Recovery, compiled to Terraform."""

__version__ = "0.1.0"
