"""The ETL pipeline: the step list (`order`, standard library only, read by the CDK app),
the steps, what they run with, the transform, and the rebuild from the lake."""
