"""Communication activities (hoạt động tuyên truyền) of the commune's units and channels."""
