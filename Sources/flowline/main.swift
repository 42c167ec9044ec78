print("flowline")
