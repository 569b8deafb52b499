"""xraybuilder: least-privilege AWS IAM policies for AWS X-Ray."""

__version__ = "0.1.0"
