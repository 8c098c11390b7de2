"""The only package that imports the Azure SDKs."""
