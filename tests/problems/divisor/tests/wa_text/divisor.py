print("seven")
