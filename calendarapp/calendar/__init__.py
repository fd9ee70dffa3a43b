"""The read side: month and week views of the content plan."""
