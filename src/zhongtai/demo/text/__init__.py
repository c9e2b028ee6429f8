"""Text of the demo shop with known truth: reviews, customer-service chats, social posts, NPS answers.

Every generator takes a NumPy ``Generator`` and a frame (or a window for posts), returns canonical
warehouse rows and a truth frame, does no I/O and gives the same output for the same generator
state. Text comes from grammar-like templates and vocabularies written as data
(:mod:`zhongtai.demo.text.vocab`), so sentiment, aspects and emotion are carried by the words.
"""

from __future__ import annotations

from zhongtai.demo.text.cs import cs_messages
from zhongtai.demo.text.nps import nps
from zhongtai.demo.text.posts import posts
from zhongtai.demo.text.reviews import reviews

__all__ = ["cs_messages", "nps", "posts", "reviews"]
