"""Privacy at the door: finding and redacting identifiers in free text, and keyed pseudonyms."""
