// Placeholder until the sandbox has code.
print("flowline-sandbox")
