"""Resumes and a job ad shared by the resume, optimizer and AI provider tests."""

import copy

FULL_RESUME = {
    "title": "Backend engineer resume",
    "template": "modern",
    "personal_info": {
        "full_name": "Zoë Müller-Łukasiewicz",
        "email": "zoe@example.com",
        "phone": "+49 30 1234 5678",
        "location": "Berlin, Germany",
        "website": "https://zoe.dev",
        "linkedin": "https://www.linkedin.com/in/zoe-muller",
        "github": "https://github.com/zoem",
    },
    "summary": "Backend engineer with eight years of Python and distributed systems.",
    "skills": ["Python", "PostgreSQL", "Kubernetes", "Node.js"],
    "experience": [
        {
            "position": "Staff Software Engineer",
            "company": "Acme GmbH",
            "location": "Berlin",
            "start_date": "2020-03",
            "end_date": "",
            "description": "Platform team lead.",
            "achievements": ["Cut p99 latency by 45%", "Led migration of 40 services to Kubernetes"],
        },
        {
            "position": "Software Engineer",
            "company": "Beta Ltd",
            "location": None,
            "start_date": "2016-01",
            "end_date": "2020-02",
            "description": None,
            "achievements": [],
        },
    ],
    "education": [
        {"degree": "MSc", "institution": "TU Berlin", "field": "Computer Science", "start_date": "2014",
         "end_date": "2016", "gpa": "1.3"},
    ],
    "certifications": [{"name": "CKA", "issuer": "CNCF", "date": "2021-06", "credential_id": "LF-123"}],
    "languages": [{"name": "German", "proficiency": "Native"}, {"name": "English", "proficiency": "C2"}],
    "projects": [
        {"name": "pgwatch", "description": "Postgres monitoring.", "url": "https://github.com/zoem/pgwatch",
         "highlights": ["2k stars"]},
    ],
}

# What the existing web client sends: only its fields, free-text dates, nulls and empty strings.
CLIENT_RESUME = {
    "title": "My resume",
    "template": "classic",
    "summary": "",
    "personal_info": {"full_name": "Ada Lovelace", "email": "", "phone": None, "location": "London",
                      "website": "", "linkedin": None, "github": ""},
    "skills": ["Mathematics", ""],
    "experience": [{"position": "Analyst", "company": "Engines Ltd", "location": "", "start_date": "Jan 2020",
                    "end_date": "Present", "description": "", "achievements": []}],
    "education": [{"degree": "", "institution": "Home", "field": None, "start_date": "", "end_date": "", "gpa": ""}],
}


def full_resume(**changes):
    body = copy.deepcopy(FULL_RESUME)
    body.update(changes)
    return body


# A job ad, and a plain-text resume that matches it, for the optimizer.
JOB = """Senior Backend Engineer
We are looking for a backend engineer with 5+ years of experience in Python and Django.
You will design REST APIs, work with PostgreSQL and Redis, and deploy with Docker and Kubernetes on AWS.
Experience with Node.js is a plus. You will build REST APIs for our customers.
Strong communication skills required."""

MATCHING = """Jane Doe
jane@example.com | +1 555 123 4567 | linkedin.com/in/jane
Summary
Backend engineer building Python services for customers.
Experience
Senior Engineer | Acme | 2019 - Present
- Built REST API services in Python/Django serving 2M users
- Reduced PostgreSQL query latency by 40% using Redis caching
- Led the migration to Docker and Kubernetes on AWS, cutting costs by $50k
- Developed NodeJS microservices and designed their deployment
Education
BSc Computer Science
Skills
Python, Django, PostgreSQL, Redis, Docker, Kubernetes, AWS, communication
"""
