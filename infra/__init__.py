"""Infrastructure: CloudFormation template, packaging, local stack."""
