"""CDKTF stacks: the resolved plan -> Terraform JSON.

Only `drnet synth` and the cdktf app entry (`main.py`) import this package's
`app` module (importing the azurerm bindings costs seconds). The constructs read
the frozen ResolvedPlan only: no rule is re-derived here, no file or environment
is read, and every logical ID derives from a name, never from a list position.
"""
