// placeholder: helper writes describe_changes
