print("bxtop demo app")
