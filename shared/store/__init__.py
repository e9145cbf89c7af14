"""Data access: DynamoDB repository, S3, SQS. Clients are created lazily and cached."""
