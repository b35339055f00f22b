"""Model-card intake: Hugging Face front matter read strictly, with every key's line."""
