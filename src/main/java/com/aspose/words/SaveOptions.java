package com.aspose.words;

/** Stand-in type, see the package documentation. */
public abstract class SaveOptions {}
