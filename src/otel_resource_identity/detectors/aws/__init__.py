"""Amazon Web Services: EC2 instances, ECS tasks, Lambda functions."""
