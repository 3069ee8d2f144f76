"""The demo data set: the real records of the sources plus generated records around them."""
